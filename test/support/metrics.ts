/** Reading a running CLI's /metrics (Prometheus text format) in the tests. */

/** The value of a sample (a metric name with optional labels) in Prometheus text; NaN if absent. */
export function sampleValue(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

/** What the endpoint serves now. */
export async function scrape(url: string): Promise<string> {
  return (await fetch(url)).text();
}

/** The report's statistics against SciPy and NumPy (Debian's python3-scipy), on the same samples. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CounterRng } from '../../src/core/random.ts';
import { normal } from '../../src/core/distributions.ts';
import {
  chiSquareHomogeneity,
  kolmogorovSurvival,
  ksTwoSample,
  populationStabilityIndex,
} from '../../src/core/statistics.ts';
import { tempDir } from '../support/cli.ts';

/** Deterministic samples: normals (shifted), and small integers with many ties. */
function samples(): { name: string; a: number[]; b: number[] }[] {
  const rng = new CounterRng();
  rng.reset(7, 1, 0);
  const normals = (n: number, shift: number): number[] => Array.from({ length: n }, () => normal(rng) + shift);
  const counts = (n: number, rate: number): number[] =>
    Array.from({ length: n }, () => Math.floor(-Math.log(1 - rng.next()) * rate));
  return [
    { name: 'same', a: normals(2000, 0), b: normals(1500, 0) },
    { name: 'small shift', a: normals(3000, 0), b: normals(2500, 0.08) },
    { name: 'large shift', a: normals(1000, 0), b: normals(1200, 0.5) },
    { name: 'ties', a: counts(4000, 2), b: counts(3000, 2.3) },
    { name: 'tiny', a: normals(40, 0), b: normals(55, 0.3) },
  ];
}

const python = '/usr/bin/python3';

describe('statistics match SciPy / NumPy', () => {
  const cases = samples();
  const path = join(tempDir(), 'samples.json');
  writeFileSync(path, JSON.stringify(cases));
  const reference = JSON.parse(
    execFileSync(
      python,
      [
        '-c',
        `
import json, sys, numpy as np
from scipy import stats
out = []
for case in json.load(open(sys.argv[1])):
    a, b = np.array(case['a']), np.array(case['b'])
    d = stats.ks_2samp(a, b).statistic
    en = len(a) * len(b) / (len(a) + len(b))
    # PSI over the reference's deciles, bins closed on the right, as the report defines it
    edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
    ea = np.bincount(np.searchsorted(edges, a, side='left'), minlength=len(edges) + 1) / len(a)
    eb = np.bincount(np.searchsorted(edges, b, side='left'), minlength=len(edges) + 1) / len(b)
    ea, eb = np.maximum(ea, 1e-4), np.maximum(eb, 1e-4)
    out.append({'d': float(d), 'p': float(stats.kstwobign.sf(np.sqrt(en) * d)), 'psi': float(np.sum((eb - ea) * np.log(eb / ea)))})
table = np.array([[510, 290, 200], [430, 300, 270]])
chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
print(json.dumps({'cases': out, 'chi2': [float(chi2), float(p)], 'kolmogorov': [float(stats.kstwobign.sf(x)) for x in [0.2, 0.5, 1.0, 1.18, 1.5, 3.0]]}))
`,
        path,
      ],
      { encoding: 'utf8' },
    ),
  ) as { cases: { d: number; p: number; psi: number }[]; chi2: [number, number]; kolmogorov: number[] };

  it.each(cases.map((c, i) => [c.name, i] as const))('KS statistic, p-value and PSI: %s', (_name, i) => {
    const { a, b } = cases[i]!;
    const sortedA = Float64Array.from(a).sort();
    const sortedB = Float64Array.from(b).sort();
    const expected = reference.cases[i]!;
    const ks = ksTwoSample(sortedA, sortedB);
    expect(ks.statistic).toBeCloseTo(expected.d, 12);
    expect(ks.pValue).toBeCloseTo(expected.p, 9);
    expect(populationStabilityIndex(sortedA, sortedB)).toBeCloseTo(expected.psi, 9);
  });

  it("Kolmogorov's distribution on both sides of the series switch", () => {
    [0.2, 0.5, 1.0, 1.18, 1.5, 3.0].forEach((x, i) => {
      expect(kolmogorovSurvival(x)).toBeCloseTo(reference.kolmogorov[i]!, 9);
    });
  });

  it('chi-square test of two risk mixes', () => {
    const result = chiSquareHomogeneity([510, 290, 200], [430, 300, 270]);
    expect(result.statistic).toBeCloseTo(reference.chi2[0], 9);
    expect(result.pValue).toBeCloseTo(reference.chi2[1], 9);
  });
});

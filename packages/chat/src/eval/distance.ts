/**
 * The 1-D Wasserstein (earth mover's) distance between two samples, each seen as a distribution
 * that puts equal weight on every value: ∫ |F(x) − G(x)| dx over the two empirical CDFs, in the
 * unit of the values. Samples may differ in size. 0 when either sample is empty.
 */
export function wassersteinDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const left = [...a].sort((x, y) => x - y);
  const right = [...b].sort((x, y) => x - y);
  const points = [...new Set([...left, ...right])].sort((x, y) => x - y);
  let distance = 0;
  let i = 0;
  let j = 0;
  for (let k = 0; k < points.length - 1; k += 1) {
    const x = points[k]!;
    while (i < left.length && left[i]! <= x) i += 1;
    while (j < right.length && right[j]! <= x) j += 1;
    distance += Math.abs(i / left.length - j / right.length) * (points[k + 1]! - x);
  }
  return distance;
}

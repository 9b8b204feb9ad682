/**
 * The Wilson score interval for a proportion (Wilson 1927), the interval Brown, Cai and DasGupta
 * recommend for small samples ("Interval Estimation for a Binomial Proportion", Statistical
 * Science 16(2), 2001): unlike the normal approximation it stays inside [0, 1] and is not zero-wide
 * at 0 or n successes, which matters for a handful of instances.
 */
const Z_95 = 1.959963984540054;

export function wilsonInterval(successes: number, n: number, z = Z_95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

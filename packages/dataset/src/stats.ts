/** Summary of a list of counts (tokens per example, messages per example). */
export interface Distribution {
  count: number;
  total: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** 10th percentile. */
  p10: number;
  /** 90th percentile. */
  p90: number;
}

/** Counts collected in a growing typed array: 4 bytes each, so a million examples take 4 MB. */
export class CountList {
  private values = new Uint32Array(256);
  private length = 0;
  private sum = 0;

  add(value: number): void {
    if (this.length === this.values.length) {
      const next = new Uint32Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length] = value;
    this.length += 1;
    this.sum += value;
  }

  get size(): number {
    return this.length;
  }

  distribution(): Distribution {
    const sorted = this.values.slice(0, this.length).sort();
    const at = (quantile: number) =>
      sorted.length === 0
        ? 0
        : sorted[Math.min(sorted.length - 1, Math.floor(quantile * (sorted.length - 1) + 0.5))]!;
    return {
      count: this.length,
      total: this.sum,
      min: sorted.length === 0 ? 0 : sorted[0]!,
      max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
      mean: this.length === 0 ? 0 : Math.round((this.sum / this.length) * 100) / 100,
      median: at(0.5),
      p10: at(0.1),
      p90: at(0.9),
    };
  }
}

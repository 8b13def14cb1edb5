// Speed over the last few seconds, for "12 MiB/s, 40 s left".

const windowMs = 6000;

export class Meter {
    private samples: { at: number; bytes: number }[] = [];

    /** Records that `bytes` (a running total) had moved by now. */
    add(bytes: number, at = performance.now()): void {
        const last = this.samples[this.samples.length - 1];
        if (last && at - last.at < 200) {
            last.bytes = Math.max(last.bytes, bytes);
            return;
        }
        this.samples.push({ at, bytes });
        while (this.samples.length > 2 && at - this.samples[0]!.at > windowMs) this.samples.shift();
    }

    /** Forgets the history (after a pause or a failure, the old rate says nothing). */
    reset(): void {
        this.samples = [];
    }

    /** Bytes per second, or 0 while there is too little to tell. */
    rate(now = performance.now()): number {
        const first = this.samples[0];
        const last = this.samples[this.samples.length - 1];
        if (!first || !last || last === first) return 0;
        // A stalled transfer slows down the figure instead of freezing it at its last value.
        const span = Math.max(now, last.at) - first.at;
        return span < 500 ? 0 : ((last.bytes - first.bytes) * 1000) / span;
    }
}

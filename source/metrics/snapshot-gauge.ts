import {Gauge} from 'prom-client';

/** One series of a gauge: its labels and value. */
export type Series<T extends string> = {labels: Partial<Record<T, string>>; value: number};

/**
 * A gauge whose series are replaced whole at each scrape. prom-client's `set` hashes every label
 * set into a map, which for 1,000 jobs' 7,000 series was a third of a scrape's own time and much
 * of its garbage; the series from one snapshot need no merging, and none is left from the last.
 */
export class SnapshotGauge<T extends string> extends Gauge<T> {
	private series: Array<Series<T>> = [];

	replace(series: Array<Series<T>>): void {
		this.series = series;
	}

	override async get() {
		return {...(await super.get()), values: this.series};
	}
}

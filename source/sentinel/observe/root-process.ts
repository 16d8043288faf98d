import type {ProcessSample, TreeSample} from '../../types.js';

/** The job's own process in a tree sample (the root of the tree), if the sample holds it. */
export function rootProcess(sample: TreeSample | null | undefined): ProcessSample | undefined {
	return sample?.processes.find(process => process.pid === sample.rootPid);
}

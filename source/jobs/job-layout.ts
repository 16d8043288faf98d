// Logist's layout of a job directory, as the sentinel reads and writes it (SPEC section 2).

/** The manifest's file name inside a job directory. */
export const manifestName = 'job_manifest.json';

/** Manifests (and jobs_index.json) above this size are not read: 1 MiB. */
export const manifestLimit = 2 ** 20;

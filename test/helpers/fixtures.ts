import {fileURLToPath} from 'node:url';

/** The Logist job folders of test/fixtures/logist/ (see its README), inside the repository. */
export const logistFixtures = fileURLToPath(new URL('../fixtures/logist', import.meta.url));

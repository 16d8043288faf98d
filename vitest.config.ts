import {defineConfig} from 'vitest/config';

const timed = 'test/robustness/load.test.ts';

export default defineConfig({
	test: {
		setupFiles: ['test/helpers/setup.ts'],
		// One `npm run build` before any file runs: the tests of the binary read dist/.
		globalSetup: ['test/helpers/build.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		maxWorkers: 2,
		// The storm of manifest writes checks that ticks keep coming every few intervals: on two
		// cores it runs by itself, after the rest, so a neighbour's npm install or demo does not
		// starve it of the CPU it is timing.
		projects: [
			{extends: true, test: {name: 'suite', include: ['test/**/*.test.{ts,tsx}'], exclude: [timed], sequence: {groupOrder: 0}}},
			{extends: true, test: {name: 'alone', include: [timed], sequence: {groupOrder: 1}}},
		],
	},
});

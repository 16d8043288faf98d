// Module-resolution hooks for lib/ink-stand-ins.js, run by Node off the main thread.
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {inkStandIns} from '../../rolldown.config.js';
import {dist} from './sentinel.js';

export async function resolve(specifier, context, nextResolve) {
	const standIn = inkStandIns[specifier];
	if (standIn && context.parentURL?.includes('/node_modules/ink/build/')) {
		return {url: pathToFileURL(path.join(dist, path.relative('dist', standIn))).href, shortCircuit: true};
	}
	return nextResolve(specifier, context);
}

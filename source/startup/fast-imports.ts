import {register} from 'node:module';

/** Load the screen's libraries without the files they never use (see import-hooks.ts). */
export function registerFastImports(): void {
	try {
		register('./import-hooks.js', import.meta.url);
	} catch {
		// Without hooks everything still loads, only slower.
	}
}

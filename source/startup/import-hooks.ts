// Module-resolution hooks, run by Node off the main thread (see fast-imports.ts).

type ResolveContext = {parentURL?: string; conditions: string[]; importAttributes: Record<string, string>};
type ResolveResult = {url: string; format?: string | null; shortCircuit?: boolean};
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

/**
 * Ink imports `throttle` from es-toolkit's `compat` barrel, which loads 416 files (600 ms on
 * Node 20's ESM loader); the one module that defines it loads in a few. Anything unexpected
 * falls through to the normal resolution.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
	if (specifier === 'es-toolkit/compat' && context.parentURL?.includes('/node_modules/ink/')) {
		try {
			const throttle = await nextResolve('es-toolkit/compat/throttle', context);
			const source = `export {default as throttle} from ${JSON.stringify(throttle.url)};`;
			return {url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true};
		} catch {}
	}
	return nextResolve(specifier, context);
}

// Preloaded into lib/frame-cost-child.js (node --import): Ink loads the modules the shipped bundle
// puts in place of its own internals (rolldown.config.js, inkStandIns), from the build measured.
import {register} from 'node:module';

register('./ink-stand-ins-hooks.js', import.meta.url);

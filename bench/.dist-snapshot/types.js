// The vocabulary shared by the engine, the modes and the screen. No behaviour lives here.
export const severities = ['ok', 'low', 'medium', 'high', 'critical'];

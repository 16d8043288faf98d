/** The action commands (SPEC sections 7 and 14): one manual action on one job, from a shell. */
export const actionCommands = ['terminate', 'recover', 'pause', 'resume'] as const;

export type ActionCommand = (typeof actionCommands)[number];

export function isActionCommand(name: string | null | undefined): name is ActionCommand {
	return (actionCommands as readonly string[]).includes(name ?? '');
}

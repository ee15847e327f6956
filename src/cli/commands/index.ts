// Every sub-command of `tsstream`. Add a command by adding its register function here.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];

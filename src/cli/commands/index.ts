// Every sub-command of `tsstream`. Add a command by adding its register function here.
import type { Command } from 'commander';
import { register as run } from './run.js';
import { register as explain } from './explain.js';
import { register as jobs } from './jobs.js';
import { register as validate } from './validate.js';
import { register as sql } from './sql.js';
import { register as test } from './test.js';
import { register as nexmark } from './nexmark.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [run, explain, jobs, validate, sql, test, nexmark];

/** The command table: every hamstudio command, in the order `hamstudio --help` lists them. */
import type { Command } from '../command.ts';
import { datasetInfoCommand } from './dataset-info.ts';
import { infoCommand } from './info.ts';

export const COMMANDS: Command[] = [infoCommand, datasetInfoCommand];

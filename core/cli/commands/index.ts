/** The command table: every hamstudio command, in the order `hamstudio --help` lists them. */
import type { Command } from '../command.ts';
import { bandsCommand } from './bands.ts';
import { datasetInfoCommand } from './dataset-info.ts';
import { evalCommand } from './eval.ts';
import { refitCommand } from './refit.ts';
import { exportCommand } from './export.ts';
import { finetuneCommand } from './finetune.ts';
import { infoCommand } from './info.ts';
import { modelsRegisterCommand } from './models-register.ts';
import { predictCommand } from './predict.ts';
import { runsCompareCommand } from './runs-compare.ts';
import { trainCommand } from './train.ts';

export const COMMANDS: Command[] = [infoCommand, datasetInfoCommand, trainCommand, refitCommand, evalCommand, predictCommand, bandsCommand, exportCommand, finetuneCommand, runsCompareCommand, modelsRegisterCommand];

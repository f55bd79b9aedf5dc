import { Command } from 'commander';
import { configVariables } from '../platform/config.js';
import { registerAlertCommands } from './alert-command.js';
import { registerAuditCommands } from './audit-command.js';
import { registerDemoCommands } from './demo-command.js';
import { registerDirectoryCommands } from './directory-command.js';
import { registerDirectoryListCommands } from './directory-list-commands.js';
import { registerProcessCommands } from './process-commands.js';
import { registerPublicCommands } from './public-command.js';
import { registerSimCommand } from './sim-command.js';
import { registerTokenCommands } from './tokens-command.js';
import { registerUserCommands } from './users-command.js';

/** The `tocsin` command with every subcommand registered (main.ts runs it; tests read its help). */
export function buildProgram(): Command {
  const program = new Command('tocsin')
    .description('Tocsin: campus emergency notification and public-safety records')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `\nEnvironment variables:\n${Object.entries(configVariables)
        .map(([name, text]) => `  ${name}\n      ${text}`)
        .join('\n')}`,
    );

  registerProcessCommands(program);
  registerUserCommands(program);
  registerTokenCommands(program);
  registerAuditCommands(program);
  registerAlertCommands(program);
  registerDirectoryCommands(program);
  registerDemoCommands(program);
  registerDirectoryListCommands(program);
  registerSimCommand(program);
  registerPublicCommands(program);
  return program;
}

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

const program = new Command('tocsin')
  .description('Tocsin: campus emergency notification and public-safety records')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `\nEnvironment variables:\n${Object.entries(configVariables)
      .map(([name, text]) => `  ${name}\n      ${text}`)
      .join('\n')}`,
  );

// `tocsin people | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

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

await program.parseAsync(process.argv);

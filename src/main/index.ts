// Entry of the Electron main process: the tray app, hosting the agent.
import { app } from 'electron';
import { runApp } from './app';
import { appHostFactory } from './app-host';
import { appCliCommand } from './cli-command';

const cliCommand = appCliCommand({
  isPackaged: app.isPackaged,
  platform: process.platform,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
  env: process.env,
});

runApp({ createHost: appHostFactory({ version: app.getVersion(), cliCommand }) });

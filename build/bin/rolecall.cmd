@echo off
rem The rolecall command of the installed app: the bundled CLI, run by the Electron binary of the app in Node mode.
rem It lives in the resources\bin folder beside Rolecall.exe.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Rolecall.exe" "%~dp0..\app.asar.unpacked\bin\rolecall.mjs" %*

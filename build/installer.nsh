; govhall 大厅终端安装程序的补充脚本 (electron-builder.yml nsis.include).
; Registers the scheduled task "govhall\terminal": at every user's logon it starts
; resources\govhall-watchdog.ps1, which starts govhall-terminal.exe and starts it again whenever it exits
; (a crash, a kill, a technician closing it). A task rather than the Run key, because a task can
; run hidden, at normal priority, on battery power, and be stopped and removed by name.
; The Task Scheduler's own "restart on failure" only covers a task that fails to start, not a
; program that exits, hence the watchdog. See docs/deployment.md.

!macro govhallEndTask
  ; Stop the watchdog first, so it cannot start the terminal again while files are replaced.
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /End /TN "govhall\terminal"'
  Pop $0
!macroend

!macro customInit
  !insertmacro govhallEndTask
!macroend

!macro customUnInit
  !insertmacro govhallEndTask
!macroend

!macro customInstall
  InitPluginsDir
  ; schtasks reads the task definition from a UTF-16 XML file.
  FileOpen $0 "$PLUGINSDIR\govhall-terminal-task.xml" w
  FileWriteUTF16LE /BOM $0 '<?xml version="1.0" encoding="UTF-16"?>$\r$\n'
  FileWriteUTF16LE $0 '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">$\r$\n'
  FileWriteUTF16LE $0 '  <RegistrationInfo><Description>govhall 大厅终端：登录时启动，退出后自动重新启动</Description></RegistrationInfo>$\r$\n'
  ; Any user's logon; the task runs in that user's session with that user's (limited) rights.
  FileWriteUTF16LE $0 '  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>$\r$\n'
  FileWriteUTF16LE $0 '  <Principals><Principal id="Users"><GroupId>S-1-5-32-545</GroupId><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>$\r$\n'
  FileWriteUTF16LE $0 '  <Settings>$\r$\n'
  FileWriteUTF16LE $0 '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>$\r$\n'
  FileWriteUTF16LE $0 '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>$\r$\n'
  FileWriteUTF16LE $0 '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>$\r$\n'
  FileWriteUTF16LE $0 '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>$\r$\n'
  FileWriteUTF16LE $0 '    <Priority>4</Priority>$\r$\n'
  FileWriteUTF16LE $0 '    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>$\r$\n'
  FileWriteUTF16LE $0 '  </Settings>$\r$\n'
  FileWriteUTF16LE $0 '  <Actions Context="Users"><Exec>$\r$\n'
  FileWriteUTF16LE $0 '    <Command>powershell.exe</Command>$\r$\n'
  FileWriteUTF16LE $0 '    <Arguments>-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File "$INSTDIR\resources\govhall-watchdog.ps1"</Arguments>$\r$\n'
  FileWriteUTF16LE $0 '  </Exec></Actions>$\r$\n'
  FileWriteUTF16LE $0 '</Task>$\r$\n'
  FileClose $0
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Create /F /TN "govhall\terminal" /XML "$PLUGINSDIR\govhall-terminal-task.xml"'
  Pop $0
  ${if} $0 != 0
    DetailPrint "未能注册登录自启动任务 govhall\terminal（schtasks 退出码 $0）；请以管理员身份重新安装 / the logon task was not registered"
  ${else}
    ; Back at once for whoever is logged on (after an update too); otherwise at the next logon.
    nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Run /TN "govhall\terminal"'
    Pop $0
  ${endif}
!macroend

!macro customUnInstall
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Delete /F /TN "govhall\terminal"'
  Pop $0
!macroend

# govhall 大厅终端看护脚本 / the hall terminal's watchdog (Windows).
# Started hidden at every logon by the scheduled task "govhall\terminal" (build/installer.nsh).
# Keeps one govhall-terminal.exe of this installation running in this session: adopts one that is already
# running (started from the shortcut or relaunched after an update), otherwise starts it, and
# starts it again whenever it exits. A run that ends within a minute doubles the wait before the
# next start (2 s up to 60 s), so a terminal that cannot start does not spin.
# A technician stops it with: schtasks /End /TN "govhall\terminal", then closes the terminal.

$ErrorActionPreference = 'Continue'
$exe = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..\govhall-terminal.exe'))
$session = (Get-Process -Id $PID).SessionId
$delay = 2

# The main process of this installation in this session (Electron's helper processes are children of it).
function Get-TerminalMain {
  $all = @(Get-CimInstance Win32_Process -Filter "Name = 'govhall-terminal.exe'" |
      Where-Object { $_.ExecutablePath -eq $exe -and $_.SessionId -eq $session })
  $ids = $all | ForEach-Object { $_.ProcessId }
  $main = $all | Where-Object { $ids -notcontains $_.ParentProcessId } | Select-Object -First 1
  if ($main) { return Get-Process -Id $main.ProcessId -ErrorAction SilentlyContinue }
  return $null
}

while ($true) {
  $started = Get-Date
  $process = Get-TerminalMain
  if (-not $process) {
    if (-not (Test-Path $exe)) {
      # Being reinstalled or removed: wait for the files instead of failing.
      Start-Sleep -Seconds 10
      continue
    }
    $process = Start-Process -FilePath $exe -PassThru
  }
  $process.WaitForExit()
  if (((Get-Date) - $started).TotalSeconds -ge 60) { $delay = 2 } else { $delay = [Math]::Min($delay * 2, 60) }
  Start-Sleep -Seconds $delay
}

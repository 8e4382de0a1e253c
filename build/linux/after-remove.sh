#!/bin/bash
# After-remove script of the govhall deb (electron-builder.yml deb.afterRemove); replaces
# electron-builder's default. On an upgrade dpkg runs it with "upgrade" and the new package's
# after-install sets everything up again, so only a removal (or purge) undoes anything. Group
# memberships stay: they are harmless and may have been given by hand.

BIN='${executable}'

case "$1" in
  remove | purge) ;;
  *) exit 0 ;;
esac

# The command on PATH.
if command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$BIN" '/opt/${sanitizedProductName}/${executable}' || true
else
  rm -f "/usr/bin/$BIN"
fi

# The terminal's user unit is gone with the package: remove what `systemctl --global enable` made.
rm -f /etc/systemd/user/graphical-session.target.wants/govhall-terminal.service
rmdir --ignore-fail-on-non-empty /etc/systemd/user/graphical-session.target.wants 2>/dev/null || true

# The AppArmor profile.
if [ -f "/etc/apparmor.d/$BIN" ]; then
  if command -v apparmor_parser >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --remove "/etc/apparmor.d/$BIN" || true
  fi
  rm -f "/etc/apparmor.d/$BIN"
fi

# The device rules are gone with the package.
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
exit 0

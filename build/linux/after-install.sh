#!/bin/bash
# After-install script of the govhall deb (electron-builder.yml deb.afterInstall). It replaces
# electron-builder's default, so it first does what that one does, then the hall's part: device
# permissions for the kiosk user and the terminal's user unit. electron-builder fills in the
# executable and product name when it builds the package; every step can run again (dpkg reruns
# it on upgrade and after an interrupted configure), and none stops the installation.
#
# Which users get serial and HID access: the names in GOVHALL_KIOSK_USERS (space separated, e.g.
#   sudo GOVHALL_KIOSK_USERS=kiosk apt install ./govhall_0.1.0_arm64.deb)
# or else every regular login user (UID 1000-59999), which on a hall terminal is its kiosk account.

APP_DIR='/opt/${sanitizedProductName}'
BIN='${executable}'

# 1. The command on PATH.
if command -v update-alternatives >/dev/null 2>&1; then
  if [ -L "/usr/bin/$BIN" ] && [ "$(readlink "/usr/bin/$BIN")" != "/etc/alternatives/$BIN" ]; then
    rm -f "/usr/bin/$BIN"
  fi
  update-alternatives --install "/usr/bin/$BIN" "$BIN" "$APP_DIR/$BIN" 100 || ln -sf "$APP_DIR/$BIN" "/usr/bin/$BIN"
else
  ln -sf "$APP_DIR/$BIN" "/usr/bin/$BIN"
fi

# 2. Chromium's sandbox helper needs setuid root only where unprivileged user namespaces do not work.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
fi

# 3. Menus and file types.
if command -v update-mime-database >/dev/null 2>&1; then update-mime-database /usr/share/mime || true; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database /usr/share/applications || true; fi

# 4. AppArmor profile (Ubuntu 24.04 and later restrict user namespaces without one), when the
#    system's AppArmor understands it and this is not a chroot being prepared as an image.
if command -v apparmor_parser >/dev/null 2>&1 && apparmor_status --enabled >/dev/null 2>&1; then
  PROFILE="$APP_DIR/resources/apparmor-profile"
  if apparmor_parser --skip-kernel-load --debug "$PROFILE" >/dev/null 2>&1; then
    cp -f "$PROFILE" "/etc/apparmor.d/$BIN"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache "/etc/apparmor.d/$BIN" || true
    fi
  fi
fi

# 5. Devices (/lib/udev/rules.d/60-govhall.rules): serial ports to dialout, hidraw to plugdev,
#    USB printers to lp; the kiosk users join those groups (effective at their next login).
for group in dialout plugdev lp; do
  getent group "$group" >/dev/null 2>&1 || groupadd --system "$group" || true
done
KIOSK_USERS="$GOVHALL_KIOSK_USERS"
if [ -z "$KIOSK_USERS" ]; then
  KIOSK_USERS=$(getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 { print $1 }')
fi
for user in $KIOSK_USERS; do
  if id "$user" >/dev/null 2>&1; then
    usermod -a -G dialout,plugdev,lp "$user" && echo "govhall: $user 已加入 dialout、plugdev、lp 组（重新登录后生效）"
  else
    echo "govhall: 用户 $user 不存在，未加入设备组 / no such user"
  fi
done
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --action=change --subsystem-match=tty --subsystem-match=hidraw --subsystem-match=usbmisc || true
fi

# 6. Start the terminal with every graphical login (/usr/lib/systemd/user/govhall-terminal.service);
#    systemd restarts it whenever it exits.
if command -v systemctl >/dev/null 2>&1; then
  systemctl --global enable govhall-terminal.service || true
fi
exit 0

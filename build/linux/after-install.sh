#!/bin/bash
# deb post-install: electron-builder's default steps (launcher link, Chromium sandbox helper, desktop
# database, AppArmor profile) plus the `rolecall` CLI on PATH. ${executable} and
# ${sanitizedProductName} are filled in by electron-builder.

ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
# The CLI: a symlink to the wrapper that runs it with the app's Electron in Node mode.
ln -sf '/opt/${sanitizedProductName}/resources/bin/rolecall' '/usr/bin/rolecall'

# SUID chrome-sandbox only where user namespaces do not work.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24+ restricts unprivileged user namespaces to programs with an AppArmor profile.
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  fi
fi

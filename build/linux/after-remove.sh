#!/bin/bash
# deb post-remove: undo after-install.sh. The links are removed only if they still point into the app,
# so a `rolecall` the user installed otherwise (npm, a newer build elsewhere) is left alone.

for link in '/usr/bin/${executable}' '/usr/bin/rolecall'; do
    case "$(readlink "$link" 2>/dev/null)" in
        '/opt/${sanitizedProductName}/'*) rm -f "$link" ;;
    esac
done

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

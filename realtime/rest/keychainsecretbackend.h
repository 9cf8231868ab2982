#pragma once

#include "secretbackend.h"

namespace tf {

// The OS keychain through QtKeychain: Keychain Services on macOS, the Credential Store on
// Windows, the Secret Service (GNOME Keyring, KWallet) over D-Bus on Linux. A machine without a
// running service (CI, headless boxes) answers Unavailable, and TokenStore falls back.
// QtKeychain's own "insecure fallback" (plain QSettings) is never enabled.
class KeychainSecretBackend : public SecretBackend
{
    Q_OBJECT

public:
    using SecretBackend::SecretBackend;

    QString name() const override { return QStringLiteral("keychain"); }
    QString location() const override { return QStringLiteral("the OS keychain"); }

    void read(const QString &service, const QString &account, Callback done) override;
    void write(const QString &service, const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &service, const QString &account, Callback done) override;
};

} // namespace tf

#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace tf {

// The outcome of one secret-store operation.
struct SecretResult {
    enum class Status {
        Ok,          // done (for a read: secret holds the value)
        NotFound,    // nothing stored under that account
        Unavailable, // this backend cannot work on this machine (no keychain service running)
        Failed,      // it works but refused or failed (e.g. the user denied access)
    };
    Status status = Status::Failed;
    QString secret;      // only for a successful read; never log it
    QString errorString; // for logs and the UI; never contains the secret

    bool isOk() const { return status == Status::Ok; }
};

// Somewhere secrets can live, keyed by (service, account). Operations are asynchronous: `done`
// is called exactly once, possibly before the call returns (the TokenStore above makes the
// delivery to its own callers asynchronous). Implementations: KeychainSecretBackend (the OS
// keychain through QtKeychain) and FileSecretBackend (owner-only files); tests add fakes.
class SecretBackend : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const SecretResult &)>;
    using QObject::QObject;

    // Short name for logs and the settings page: "keychain", "file", …
    virtual QString name() const = 0;
    // Where secrets go, for the warning shown when falling back (a path or a keychain name).
    virtual QString location() const = 0;

    virtual void read(const QString &service, const QString &account, Callback done) = 0;
    virtual void write(const QString &service, const QString &account, const QString &secret, Callback done) = 0;
    // Removing what is not there is Ok, not NotFound.
    virtual void remove(const QString &service, const QString &account, Callback done) = 0;
};

} // namespace tf

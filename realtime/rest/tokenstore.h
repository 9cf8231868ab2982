#pragma once

#include "secretbackend.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace tf {

// Keeps the refresh token (or any secret) under a service name and an account, e.g.
// ("TradingFloor", "https://abcd.supabase.co|ops@example.com").
//
// The OS keychain is used when it works. When it is unavailable (no Secret Service on a headless
// Linux box, CI) the store switches, once and with a logged warning, to owner-only files in
// <AppDataLocation>/secrets and says so through backendName()/usingFallback(). A keychain that
// works but refuses (the user denied access) is an error, never a reason to write the secret
// to a file. Reads that find nothing in the keychain also look in the file, so a token written
// while the keychain was down is not lost; a successful keychain write or a remove deletes the
// file copy.
//
// Operations run one at a time in the order they were issued; `done` is always called later
// from the event loop, and only while `context` (if given) still exists.
class TokenStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString backendName READ backendName NOTIFY backendChanged)
    Q_PROPERTY(bool usingFallback READ usingFallback NOTIFY backendChanged)

public:
    using Callback = std::function<void(const SecretResult &)>;

    // The keychain, falling back to files in defaultFallbackDirectory().
    explicit TokenStore(const QString &service = QStringLiteral("TradingFloor"), QObject *parent = nullptr);
    // Injected backends (tests, other platforms); the store takes ownership. `fallback` may be null.
    TokenStore(const QString &service, SecretBackend *primary, SecretBackend *fallback, QObject *parent = nullptr);

    static QString defaultFallbackDirectory();

    QString service() const { return m_service; }
    QString backendName() const { return m_active->name(); }
    bool usingFallback() const { return m_active != m_primary; }

    void load(const QString &account, QObject *context, Callback done);
    void store(const QString &account, const QString &secret, QObject *context, Callback done);
    void remove(const QString &account, QObject *context, Callback done);

Q_SIGNALS:
    void backendChanged();

private:
    enum class Kind { Load, Store, Remove };
    struct Operation {
        Kind kind;
        QString account;
        QString secret;
        QPointer<QObject> context;
        bool hasContext = false;
        Callback done;
    };

    void enqueue(Kind kind, const QString &account, const QString &secret, QObject *context, Callback done);
    void runNext();
    void run(SecretBackend *backend, bool retried);
    void finish(const SecretResult &result);
    void switchToFallback(const QString &why);

    QString m_service;
    SecretBackend *m_primary = nullptr;
    SecretBackend *m_fallback = nullptr;
    SecretBackend *m_active = nullptr;
    QList<Operation> m_queue;
    bool m_running = false;
};

} // namespace tf

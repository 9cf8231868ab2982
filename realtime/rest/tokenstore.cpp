#include "tokenstore.h"

#include "filesecretbackend.h"
#include "keychainsecretbackend.h"
#include "logging.h"

#include <QStandardPaths>

namespace tf {

TokenStore::TokenStore(const QString &service, QObject *parent)
    : TokenStore(service, new KeychainSecretBackend, new FileSecretBackend(defaultFallbackDirectory()), parent)
{
}

TokenStore::TokenStore(const QString &service, SecretBackend *primary, SecretBackend *fallback, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_primary(primary)
    , m_fallback(fallback)
    , m_active(primary)
{
    Q_ASSERT(primary);
    primary->setParent(this);
    if (fallback)
        fallback->setParent(this);
}

QString TokenStore::defaultFallbackDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/secrets");
}

void TokenStore::load(const QString &account, QObject *context, Callback done)
{
    enqueue(Kind::Load, account, {}, context, std::move(done));
}

void TokenStore::store(const QString &account, const QString &secret, QObject *context, Callback done)
{
    enqueue(Kind::Store, account, secret, context, std::move(done));
}

void TokenStore::remove(const QString &account, QObject *context, Callback done)
{
    enqueue(Kind::Remove, account, {}, context, std::move(done));
}

void TokenStore::enqueue(Kind kind, const QString &account, const QString &secret, QObject *context, Callback done)
{
    m_queue.append({kind, account, secret, context, context != nullptr, std::move(done)});
    if (!m_running) {
        m_running = true;
        QMetaObject::invokeMethod(this, &TokenStore::runNext, Qt::QueuedConnection);
    }
}

void TokenStore::runNext()
{
    if (m_queue.isEmpty()) {
        m_running = false;
        return;
    }
    run(m_active, false);
}

void TokenStore::run(SecretBackend *backend, bool retried)
{
    const Operation &op = m_queue.first();
    const auto onResult = [this, backend, retried](const SecretResult &result) {
        const Operation &current = m_queue.first();
        if (result.status == SecretResult::Status::Unavailable && backend == m_primary && m_fallback && !retried) {
            switchToFallback(result.errorString);
            run(m_fallback, true);
            return;
        }
        if (backend == m_primary && m_fallback && result.status == SecretResult::Status::NotFound
            && current.kind == Kind::Load && !retried) {
            run(m_fallback, true); // written while the keychain was down?
            return;
        }
        if (backend == m_primary && m_fallback && result.isOk() && current.kind != Kind::Load) {
            // The keychain has (or no longer has) the secret: no copy may stay behind in a file.
            m_fallback->remove(m_service, current.account, [](const SecretResult &) {});
        }
        finish(result);
    };
    switch (op.kind) {
    case Kind::Load:
        backend->read(m_service, op.account, onResult);
        break;
    case Kind::Store:
        backend->write(m_service, op.account, op.secret, onResult);
        break;
    case Kind::Remove:
        backend->remove(m_service, op.account, onResult);
        break;
    }
}

void TokenStore::finish(const SecretResult &result)
{
    const Operation op = m_queue.takeFirst();
    if (!result.isOk() && result.status != SecretResult::Status::NotFound)
        qCWarning(lcAuth) << "secret store" << m_active->name() << "failed:" << result.errorString;
    // Delivered from the event loop even if the backend answered synchronously.
    QMetaObject::invokeMethod(this, [this, op, result] {
        if (op.done && (!op.hasContext || op.context))
            op.done(result);
        runNext();
    }, Qt::QueuedConnection);
}

void TokenStore::switchToFallback(const QString &why)
{
    qCWarning(lcAuth).nospace() << "OS keychain unavailable (" << why << "); keeping secrets in owner-only files in "
                                << m_fallback->location();
    m_active = m_fallback;
    Q_EMIT backendChanged();
}

} // namespace tf

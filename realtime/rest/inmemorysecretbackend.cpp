#include "inmemorysecretbackend.h"

namespace tf {

void InMemorySecretBackend::read(const QString &service, const QString &account, Callback done)
{
    const auto it = m_secrets.constFind(keyOf(service, account));
    if (it == m_secrets.constEnd()) {
        done({SecretResult::Status::NotFound, {}, QStringLiteral("no secret stored")});
        return;
    }
    done({SecretResult::Status::Ok, *it, {}});
}

void InMemorySecretBackend::write(const QString &service, const QString &account, const QString &secret, Callback done)
{
    m_secrets.insert(keyOf(service, account), secret);
    done({SecretResult::Status::Ok, {}, {}});
}

void InMemorySecretBackend::remove(const QString &service, const QString &account, Callback done)
{
    m_secrets.remove(keyOf(service, account));
    done({SecretResult::Status::Ok, {}, {}});
}

QString InMemorySecretBackend::secret(const QString &service, const QString &account) const
{
    return m_secrets.value(keyOf(service, account));
}

} // namespace tf

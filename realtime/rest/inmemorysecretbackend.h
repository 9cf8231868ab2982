#pragma once

#include "secretbackend.h"

#include <QHash>

namespace tf {

// Secrets that live only as long as the process: for tools that must not leave a refresh token
// behind (tradefloor-cli signing in with --email/--password) and for tests.
class InMemorySecretBackend : public SecretBackend
{
    Q_OBJECT

public:
    using SecretBackend::SecretBackend;

    QString name() const override { return QStringLiteral("memory"); }
    QString location() const override { return QStringLiteral("process memory"); }

    void read(const QString &service, const QString &account, Callback done) override;
    void write(const QString &service, const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &service, const QString &account, Callback done) override;

    // What is stored for (service, account); empty when nothing is.
    QString secret(const QString &service, const QString &account) const;
    bool isEmpty() const { return m_secrets.isEmpty(); }

private:
    static QString keyOf(const QString &service, const QString &account) { return service + u'\n' + account; }
    QHash<QString, QString> m_secrets;
};

} // namespace tf

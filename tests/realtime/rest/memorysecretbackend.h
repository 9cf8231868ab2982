#pragma once

// A SecretBackend for tests: an in-memory keychain that can also play "no keychain service"
// (Unavailable) or "the user said no" (Failed).
#include "secretbackend.h"

#include <QHash>

class MemorySecretBackend : public tf::SecretBackend
{
    Q_OBJECT

public:
    enum class Mode { Works, Unavailable, Denied };

    explicit MemorySecretBackend(Mode mode = Mode::Works, QObject *parent = nullptr)
        : SecretBackend(parent), m_mode(mode) {}

    QHash<QString, QString> secrets; // "service\naccount" -> secret
    int operations = 0;

    void setMode(Mode m) { m_mode = m; }
    QString name() const override { return QStringLiteral("memory"); }
    QString location() const override { return QStringLiteral("memory"); }

    void read(const QString &service, const QString &account, Callback done) override
    {
        if (refuse(done))
            return;
        tf::SecretResult result;
        const auto it = secrets.constFind(service + u'\n' + account);
        result.status = it == secrets.constEnd() ? tf::SecretResult::Status::NotFound : tf::SecretResult::Status::Ok;
        if (it != secrets.constEnd())
            result.secret = *it;
        done(result);
    }
    void write(const QString &service, const QString &account, const QString &secret, Callback done) override
    {
        if (refuse(done))
            return;
        secrets.insert(service + u'\n' + account, secret);
        done({tf::SecretResult::Status::Ok, {}, {}});
    }
    void remove(const QString &service, const QString &account, Callback done) override
    {
        if (refuse(done))
            return;
        secrets.remove(service + u'\n' + account);
        done({tf::SecretResult::Status::Ok, {}, {}});
    }

private:
    bool refuse(const Callback &done)
    {
        ++operations;
        if (m_mode == Mode::Works)
            return false;
        done({m_mode == Mode::Unavailable ? tf::SecretResult::Status::Unavailable : tf::SecretResult::Status::Failed, {},
              m_mode == Mode::Unavailable ? QStringLiteral("The name org.freedesktop.secrets was not provided")
                                          : QStringLiteral("access denied by user")});
        return true;
    }
    Mode m_mode;
};

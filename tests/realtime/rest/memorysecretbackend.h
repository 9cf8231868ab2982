#pragma once

// The library's in-memory backend, able to play "no keychain service" (Unavailable) or
// "the user said no" (Failed) for the fallback tests.
#include "inmemorysecretbackend.h"

class MemorySecretBackend : public tf::InMemorySecretBackend
{
    Q_OBJECT

public:
    enum class Mode { Works, Unavailable, Denied };

    explicit MemorySecretBackend(Mode mode = Mode::Works, QObject *parent = nullptr)
        : InMemorySecretBackend(parent), m_mode(mode) {}

    int operations = 0;

    // Seeds a secret directly (as if stored by an earlier run).
    void put(const QString &service, const QString &account, const QString &secret)
    {
        InMemorySecretBackend::write(service, account, secret, [](const tf::SecretResult &) {});
    }

    void read(const QString &service, const QString &account, Callback done) override
    {
        if (!refuse(done))
            InMemorySecretBackend::read(service, account, done);
    }
    void write(const QString &service, const QString &account, const QString &secret, Callback done) override
    {
        if (!refuse(done))
            InMemorySecretBackend::write(service, account, secret, done);
    }
    void remove(const QString &service, const QString &account, Callback done) override
    {
        if (!refuse(done))
            InMemorySecretBackend::remove(service, account, done);
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

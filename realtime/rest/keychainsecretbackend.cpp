#include "keychainsecretbackend.h"

#include <qt6keychain/keychain.h>

namespace tf {

namespace {

SecretResult resultOf(const QKeychain::Job *job, bool removing)
{
    SecretResult result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = SecretResult::Status::Ok;
        break;
    case QKeychain::EntryNotFound:
        result.status = removing ? SecretResult::Status::Ok : SecretResult::Status::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // OtherError is what the Secret Service answers when no daemon runs (headless Linux).
        result.status = SecretResult::Status::Unavailable;
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::CouldNotDeleteEntry:
        // The keychain works and said no: respect it, do not write the secret elsewhere.
        result.status = SecretResult::Status::Failed;
        break;
    }
    if (!result.isOk())
        result.errorString = job->errorString();
    return result;
}

template<typename Job>
Job *prepare(Job *job, const QString &account)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    return job;
}

} // namespace

void KeychainSecretBackend::read(const QString &service, const QString &account, Callback done)
{
    auto *job = prepare(new QKeychain::ReadPasswordJob(service, this), account);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        SecretResult result = resultOf(finished, false);
        if (result.isOk())
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
        done(result);
    });
    job->start();
}

void KeychainSecretBackend::write(const QString &service, const QString &account, const QString &secret, Callback done)
{
    auto *job = prepare(new QKeychain::WritePasswordJob(service, this), account);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) { done(resultOf(finished, false)); });
    job->start();
}

void KeychainSecretBackend::remove(const QString &service, const QString &account, Callback done)
{
    auto *job = prepare(new QKeychain::DeletePasswordJob(service, this), account);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) { done(resultOf(finished, true)); });
    job->start();
}

} // namespace tf

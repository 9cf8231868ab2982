#include "filesecretbackend.h"

#include "logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

#include <filesystem>
#include <system_error>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace tf {

namespace {

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
    | QFile::WriteOther | QFile::ExeOther;

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

SecretResult failure(SecretResult::Status status, const QString &message)
{
    SecretResult result;
    result.status = status;
    result.errorString = message;
    return result;
}

} // namespace

FileSecretBackend::FileSecretBackend(const QString &directory, QObject *parent)
    : SecretBackend(parent)
    , m_directory(QDir::cleanPath(directory))
{
}

QString FileSecretBackend::filePath(const QString &service, const QString &account) const
{
    const QByteArray key = QByteArray(service.toUtf8() + '\n' + account.toUtf8());
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
    return m_directory + u'/' + QString::fromLatin1(digest) + QStringLiteral(".secret");
}

void FileSecretBackend::read(const QString &service, const QString &account, Callback done)
{
    const QString path = filePath(service, account);
    QFile file(path);
    if (!file.exists()) {
        done(failure(SecretResult::Status::NotFound, QStringLiteral("no secret stored")));
        return;
    }
    if (file.permissions() & kOthers) {
        // Someone loosened it (a backup restore, a copy): tighten before reading.
        qCWarning(lcAuth) << "secret file" << path << "was readable by others; restricting it to its owner";
        file.setPermissions(kOwnerOnly);
    }
    if (!file.open(QIODevice::ReadOnly)) {
        done(failure(SecretResult::Status::Failed, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())));
        return;
    }
    SecretResult result;
    result.secret = QString::fromUtf8(file.readAll());
    result.status = result.secret.isEmpty() ? SecretResult::Status::NotFound : SecretResult::Status::Ok;
    done(result);
}

void FileSecretBackend::write(const QString &service, const QString &account, const QString &secret, Callback done)
{
    if (!QDir().mkpath(m_directory)) {
        done(failure(SecretResult::Status::Failed, QStringLiteral("cannot create %1").arg(m_directory)));
        return;
    }
    QFile::setPermissions(m_directory, kOwnerOnly | QFile::ExeOwner);

    const QString path = filePath(service, account);
    const QString temporary = path + QStringLiteral(".tmp");
    QFile::remove(temporary); // a leftover of a crash; NewOnly below must create a fresh file
    QFile file(temporary);
    // The mode is given at creation, so the secret is never in a file anyone else could open.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly)) {
        done(failure(SecretResult::Status::Failed, QStringLiteral("cannot create %1: %2").arg(temporary, file.errorString())));
        return;
    }
    const QByteArray data = secret.toUtf8();
    const bool written = file.write(data) == data.size() && file.flush();
#ifdef Q_OS_UNIX
    const bool synced = written && ::fsync(file.handle()) == 0; // the rename below must not outrun the data
#else
    const bool synced = written;
#endif
    file.close();
    if (!synced) {
        QFile::remove(temporary);
        done(failure(SecretResult::Status::Failed, QStringLiteral("cannot write %1").arg(temporary)));
        return;
    }
    std::error_code error;
    std::filesystem::rename(nativePath(temporary), nativePath(path), error); // atomic replace
    if (error) {
        QFile::remove(temporary);
        done(failure(SecretResult::Status::Failed,
                     QStringLiteral("cannot replace %1: %2").arg(path, QString::fromStdString(error.message()))));
        return;
    }
    QFile::setPermissions(path, kOwnerOnly);
    SecretResult result;
    result.status = SecretResult::Status::Ok;
    done(result);
}

void FileSecretBackend::remove(const QString &service, const QString &account, Callback done)
{
    const QString path = filePath(service, account);
    if (QFile::exists(path) && !QFile::remove(path)) {
        done(failure(SecretResult::Status::Failed, QStringLiteral("cannot remove %1").arg(path)));
        return;
    }
    SecretResult result;
    result.status = SecretResult::Status::Ok;
    done(result);
}

} // namespace tf

#pragma once

#include "secretbackend.h"

namespace tf {

// Secrets as files readable only by their owner, for machines without a keychain service.
// One file per (service, account), named by a SHA-256 of both so no e-mail address shows up in
// a directory listing. Each write creates a new file with mode 0600 before the secret goes in,
// then atomically renames it over the old one; the folder is made 0700. On Windows the POSIX
// mode bits mean little: the folder under the user's profile is what keeps others out.
class FileSecretBackend : public SecretBackend
{
    Q_OBJECT

public:
    explicit FileSecretBackend(const QString &directory, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("file"); }
    QString location() const override { return m_directory; }
    QString directory() const { return m_directory; }
    // The file that holds (service, account); it may not exist.
    QString filePath(const QString &service, const QString &account) const;

    void read(const QString &service, const QString &account, Callback done) override;
    void write(const QString &service, const QString &account, const QString &secret, Callback done) override;
    void remove(const QString &service, const QString &account, Callback done) override;

private:
    QString m_directory;
};

} // namespace tf

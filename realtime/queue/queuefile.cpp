#include "queuefile.h"

#include "logging.h"

#include <QFile>
#include <QFileInfo>

namespace tf::queuefile {

namespace {
constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
// QFile::permissions() also reports the *User bits (what the current user may do); compare only
// the owner/group/other bits, which are what the file actually carries.
constexpr QFileDevice::Permissions kModeBits = QFileDevice::ReadOwner | QFileDevice::WriteOwner
    | QFileDevice::ExeOwner | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
    | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
} // namespace

QStringList sideFiles(const QString &path)
{
    return {path + QStringLiteral("-wal"), path + QStringLiteral("-shm"), path + QStringLiteral("-journal")};
}

bool createOwnerOnly(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly)) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void restrictToOwner(const QString &path)
{
    QStringList files{path};
    files += sideFiles(path);
    for (const QString &file : files) {
        if (!QFileInfo::exists(file))
            continue;
        if ((QFile::permissions(file) & kModeBits) == kOwnerOnly)
            continue;
        if (!QFile::setPermissions(file, kOwnerOnly))
            qCWarning(lcOrders) << "could not make" << file << "owner-only";
    }
}

Header checkHeader(const QString &path, QString *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return Header::Unreadable;
    }
    if (file.size() == 0)
        return Header::Valid;
    // The first 16 bytes of every SQLite 3 database; the header itself is 100 bytes.
    static const QByteArray magic("SQLite format 3\0", 16);
    if (file.size() < 100 || file.read(16) != magic) {
        *problem = QStringLiteral("not a SQLite database");
        return Header::NotSqlite;
    }
    return Header::Valid;
}

QString moveAside(const QString &path, const QDateTime &nowUtc, QString *error)
{
    const QString stamp = nowUtc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);

    if (!QFile::rename(path, target)) {
        *error = QStringLiteral("cannot move %1 aside").arg(path);
        return {};
    }
    // The side files belong to the old file: a new database must not pick up its log.
    const QStringList oldSides = sideFiles(path);
    const QStringList newSides = sideFiles(target);
    for (qsizetype i = 0; i < oldSides.size(); ++i) {
        if (QFileInfo::exists(oldSides.at(i)) && !QFile::rename(oldSides.at(i), newSides.at(i))) {
            *error = QStringLiteral("cannot move %1 aside").arg(oldSides.at(i));
            return {};
        }
    }
    return target;
}

} // namespace tf::queuefile

#include "rotatinglogfile.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cstdio>

namespace tf {

namespace {
RotatingLogFile *g_logFile = nullptr;

QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return QStringLiteral("debug");
    case QtInfoMsg:
        return QStringLiteral("info");
    case QtWarningMsg:
        return QStringLiteral("warning");
    case QtCriticalMsg:
        return QStringLiteral("critical");
    case QtFatalMsg:
        return QStringLiteral("fatal");
    }
    return QStringLiteral("log");
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' '
        + levelName(type) + u' ' + QString::fromLatin1(context.category ? context.category : "default")
        + QStringLiteral(": ") + message;
    const QByteArray bytes = line.toLocal8Bit();
    std::fprintf(stderr, "%s\n", bytes.constData());
    std::fflush(stderr);
    if (g_logFile)
        g_logFile->write(line);
}
} // namespace

RotatingLogFile::RotatingLogFile(QString path, qint64 maxBytes, int keepFiles)
    : m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_keepFiles(qMax(1, keepFiles))
{
}

QString RotatingLogFile::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/logs/trading-floor.log");
}

bool RotatingLogFile::open(QString *error)
{
    QMutexLocker lock(&m_mutex);
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::Append | QIODevice::Text)) {
        if (error)
            *error = m_file.errorString();
        return false;
    }
    // Logs may hold account names and server messages: keep them private to the user.
    m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

void RotatingLogFile::write(const QString &line)
{
    QMutexLocker lock(&m_mutex);
    if (!m_file.isOpen())
        return;
    m_file.write(line.toUtf8());
    m_file.write("\n", 1);
    m_file.flush();
    if (m_file.size() >= m_maxBytes)
        rotate();
}

void RotatingLogFile::rotate()
{
    m_file.close();
    QFile::remove(m_path + u'.' + QString::number(m_keepFiles));
    for (int i = m_keepFiles - 1; i >= 1; --i)
        QFile::rename(m_path + u'.' + QString::number(i), m_path + u'.' + QString::number(i + 1));
    QFile::rename(m_path, m_path + QStringLiteral(".1"));
    if (m_file.open(QIODevice::Append | QIODevice::Text))
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void installLogHandler(RotatingLogFile *file)
{
    g_logFile = file;
    qInstallMessageHandler(handleMessage);
}

} // namespace tf

#pragma once

#include <QFile>
#include <QMutex>
#include <QString>

namespace tf {

// A log file that rolls over by size: trading-floor.log, trading-floor.log.1, … .N (oldest).
// Thread-safe: Qt's message handler may be called from any thread.
class RotatingLogFile {
public:
    RotatingLogFile(QString path, qint64 maxBytes = 5 * 1024 * 1024, int keepFiles = 3);

    bool open(QString *error = nullptr);
    void write(const QString &line);

    QString path() const { return m_path; }
    static QString defaultPath(); // <AppDataLocation>/logs/trading-floor.log

private:
    void rotate();

    QString m_path;
    qint64 m_maxBytes;
    int m_keepFiles;
    QFile m_file;
    QMutex m_mutex;
};

// Routes qDebug/qCInfo/… to stderr and, when given, to the log file, with time and category.
void installLogHandler(RotatingLogFile *file);

} // namespace tf

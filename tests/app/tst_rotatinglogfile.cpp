// The rotating log: rolls over by size, keeps N files, and is readable by its owner only.
#include "rotatinglogfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestRotatingLogFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rotatesAndKeepsN()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("logs/app.log"));
        tf::RotatingLogFile log(path, 100, 2);
        QVERIFY(log.open());
        for (int i = 0; i < 20; ++i)
            log.write(QStringLiteral("line %1 ").arg(i) + QString(20, u'x'));
        QVERIFY(QFile::exists(path));
        QVERIFY(QFile::exists(path + QStringLiteral(".1")));
        QVERIFY(QFile::exists(path + QStringLiteral(".2")));
        QVERIFY(!QFile::exists(path + QStringLiteral(".3")));
        QFile newest(path + QStringLiteral(".1"));
        QVERIFY(newest.open(QIODevice::ReadOnly));
        const QByteArray content = newest.readAll();
        QVERIFY(content.contains("line 1"));
        QVERIFY(QFileInfo(path + QStringLiteral(".1")).size() < 200);
    }

    void ownerOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.log"));
        tf::RotatingLogFile log(path);
        QVERIFY(log.open());
        log.write(QStringLiteral("hello"));
        const QFileDevice::Permissions permissions = QFile::permissions(path);
        QVERIFY(permissions.testFlag(QFileDevice::ReadOwner));
        QVERIFY(!permissions.testFlag(QFileDevice::ReadGroup));
        QVERIFY(!permissions.testFlag(QFileDevice::ReadOther));
    }

    void unwritableLocationReportsError()
    {
        tf::RotatingLogFile log(QStringLiteral("/proc/no/such/dir/app.log"));
        QString error;
        QVERIFY(!log.open(&error));
        QVERIFY(!error.isEmpty());
        log.write(QStringLiteral("dropped quietly, no crash"));
    }
};

QTEST_GUILESS_MAIN(TestRotatingLogFile)
#include "tst_rotatinglogfile.moc"

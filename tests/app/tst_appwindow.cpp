// Launches the real trading-floor binary on an X display, lets it grab its own window, and checks
// the picture: the right size and not blank (several colours, the light title text present).
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestAppWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionPrints()
    {
        QProcess app;
        app.start(QStringLiteral(TF_APP_BINARY), {QStringLiteral("--version")});
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
        QVERIFY(app.readAllStandardOutput().contains("trading-floor"));
    }

    void helpVersionAndMistakesNeedNoDisplay()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("DISPLAY"));
        environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb")); // would abort if opened
        const auto run = [&](const QStringList &arguments, QByteArray *out, QByteArray *err) {
            QProcess app;
            app.setProcessEnvironment(environment);
            app.start(QStringLiteral(TF_APP_BINARY), arguments);
            if (!app.waitForFinished(60000))
                return -1;
            *out = app.readAllStandardOutput();
            *err = app.readAllStandardError();
            return app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -2;
        };
        QByteArray out;
        QByteArray err;
        QCOMPARE(run({QStringLiteral("--version")}, &out, &err), 0);
        QCOMPARE(out.trimmed(), QByteArray("trading-floor " TF_VERSION));
        QCOMPARE(run({QStringLiteral("--help")}, &out, &err), 0);
        QVERIFY(out.startsWith("Usage: trading-floor [options]"));
        for (const char *option : {"--demo", "--url", "--screenshot", "--quit-after", "--dump-state", "--demo-console"})
            QVERIFY2(out.contains(option), option);
        QCOMPARE(run({QStringLiteral("--quit-after"), QStringLiteral("soon")}, &out, &err), 2);
        QVERIFY2(err.contains("--quit-after needs a number of seconds"), err.constData());
        QCOMPARE(run({QStringLiteral("--url"), QStringLiteral("http://example.com"), QStringLiteral("--key"),
                      QStringLiteral("k")}, &out, &err), 2);
        QVERIFY2(err.contains("plain http:// is only allowed"), err.constData());
    }

    void screenshotIsNotBlank()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath(QStringLiteral("window.png"));
        QProcess app;
        app.setProcessChannelMode(QProcess::ForwardedChannels);
        app.start(QStringLiteral(TF_APP_BINARY),
                  {QStringLiteral("--screenshot"), png, QStringLiteral("--quit-after"), QStringLiteral("1.5")});
        QVERIFY(app.waitForFinished(120000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);

        const QImage image(png);
        QVERIFY2(!image.isNull(), "the app wrote no readable PNG");
        QVERIFY(image.width() >= 1280 && image.height() >= 720);
        QSet<QRgb> colours;
        int lightPixels = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                const QRgb pixel = image.pixel(x, y);
                colours.insert(pixel);
                if (qGray(pixel) > 200)
                    ++lightPixels;
            }
        }
        QVERIFY2(colours.size() > 16, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
        QVERIFY2(lightPixels > 100, "no light text on the dark window");
    }
};

QTEST_GUILESS_MAIN(TestAppWindow)
#include "tst_appwindow.moc"

// The real trading-floor on an X display, in demo mode, driven through --demo-console the way a
// person would watch it: the floor goes live with positions and quotes and a screenshot shows it;
// then the simulator stops accepting connections and drops the link: the status leaves "live", the
// banner appears, an order placed now is queued (not at the exchange), and once the link is back
// the order reaches the exchange exactly once and the banner goes. A termination signal still
// writes the --dump-state file.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr int StartTimeout = 90000;  // a loaded CI machine, a fresh QML cache
constexpr int FaultTimeout = 90000;  // backoff with jitter (capped at 30 s) and the 10 s polling fallback
}

class TestAppDemo : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_app;
    int m_dumps = 0;

    // One console command, one answer line.
    QString command(const QString &line)
    {
        if (m_app.state() != QProcess::Running)
            return QStringLiteral("error: the app is not running");
        m_app.write((line + u'\n').toUtf8());
        QElapsedTimer waited;
        waited.start();
        while (!m_app.canReadLine() && waited.elapsed() < 30000 && m_app.state() == QProcess::Running)
            m_app.waitForReadyRead(200);
        return m_app.canReadLine() ? QString::fromUtf8(m_app.readLine()).trimmed() : QStringLiteral("error: no answer");
    }

    QJsonObject dump()
    {
        const QString path = m_dir.filePath(QStringLiteral("dump%1.json").arg(++m_dumps));
        const QString answer = command(QStringLiteral("dump ") + path);
        if (!answer.startsWith(QStringLiteral("ok")))
            return {};
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    static QString state(const QJsonObject &dump)
    {
        return dump.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString();
    }
    static int rows(const QJsonObject &dump, const QString &model)
    {
        return int(dump.value(QStringLiteral("models")).toObject().value(model).toArray().size());
    }
    static bool bannerShown(const QJsonObject &dump)
    {
        return dump.value(QStringLiteral("ui")).toObject().value(QStringLiteral("banner")).toObject()
            .value(QStringLiteral("visible")).toBool();
    }
    int simOrders(const QString &clientOrderId)
    {
        const QStringList words = command(QStringLiteral("sim-orders ") + clientOrderId).split(u' ');
        return words.size() >= 2 && words.at(0) == u"ok" ? words.at(1).toInt() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_app.setReadChannel(QProcess::StandardOutput);
        m_app.setProcessChannelMode(QProcess::ForwardedErrorChannel); // the app's log, for failures
        m_app.start(QStringLiteral(TF_APP_BINARY),
                    {QStringLiteral("--demo"), QStringLiteral("--demo-console"), QStringLiteral("--dump-state"),
                     m_dir.filePath(QStringLiteral("at-exit.json"))});
        QVERIFY2(m_app.waitForStarted(30000), qPrintable(m_app.errorString()));
    }

    void goesLiveWithPositionsAndQuotes()
    {
        QTRY_VERIFY_WITH_TIMEOUT(command(QStringLiteral("state")).startsWith(QStringLiteral("ok live")), StartTimeout);
        QJsonObject state;
        QTRY_VERIFY_WITH_TIMEOUT((state = dump(), rows(state, QStringLiteral("quotes")) >= 20), StartTimeout);
        QCOMPARE(TestAppDemo::state(state), QStringLiteral("live"));
        QCOMPARE(rows(state, QStringLiteral("positions")), 3); // the demo trader's seeded book
        const QJsonObject firstPosition = state.value(QStringLiteral("models")).toObject()
            .value(QStringLiteral("positions")).toArray().at(0).toObject();
        QVERIFY(!firstPosition.value(QStringLiteral("symbol")).toString().isEmpty());
        QVERIFY(state.value(QStringLiteral("signedIn")).toBool());
        QCOMPARE(state.value(QStringLiteral("user")).toString(), QStringLiteral("trader@example.com"));
        QVERIFY(!bannerShown(state));
        QVERIFY(state.value(QStringLiteral("pendingOrders")).toArray().isEmpty());
    }

    void screenshotShowsTheFloor()
    {
        const QString png = m_dir.filePath(QStringLiteral("floor.png"));
        QVERIFY(command(QStringLiteral("screenshot ") + png).startsWith(QStringLiteral("ok wrote")));
        const QJsonObject ui = dump().value(QStringLiteral("ui")).toObject();
        QVERIFY(ui.value(QStringLiteral("present")).toBool());
        const QImage image(png);
        QVERIFY2(!image.isNull(), "the app wrote no readable PNG");
        // The window's own size (1280×720 unless a saved geometry says otherwise), at scale 1 on Xvfb.
        QCOMPARE(image.size(), QSize(ui.value(QStringLiteral("width")).toInt(), ui.value(QStringLiteral("height")).toInt()));
        QVERIFY(image.width() >= 1280 && image.height() >= 720);
        QSet<QRgb> colours;
        int light = 0;
        int green = 0;
        int red = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                const QRgb pixel = image.pixel(x, y);
                colours.insert(pixel);
                light += qGray(pixel) > 200;
                green += qGreen(pixel) > 120 && qGreen(pixel) > qRed(pixel) + 40;
                red += qRed(pixel) > 120 && qRed(pixel) > qGreen(pixel) + 40;
            }
        }
        QVERIFY2(colours.size() > 64, qPrintable(QStringLiteral("only %1 colours: a blank window?").arg(colours.size())));
        QVERIFY2(light > 1000, "hardly any text on the floor");
        QVERIFY2(green > 50 && red > 50, "no green and red figures: are the prices there?");
    }

    void linkDownQueuesThenSendsOnce()
    {
        QVERIFY(command(QStringLiteral("refuse 0")).startsWith(QStringLiteral("ok")));
        QVERIFY(command(QStringLiteral("drop")).startsWith(QStringLiteral("ok")));
        QJsonObject down;
        QTRY_VERIFY_WITH_TIMEOUT((down = dump(), state(down) != u"live" && bannerShown(down)), FaultTimeout);
        const QString bannerText = down.value(QStringLiteral("ui")).toObject().value(QStringLiteral("banner")).toObject()
            .value(QStringLiteral("text")).toString();
        QVERIFY2(!bannerText.isEmpty(), "the banner says nothing");

        const QString submitted = command(QStringLiteral("submit MSFT sell 3"));
        QVERIFY2(submitted.startsWith(QStringLiteral("ok queued ")), qPrintable(submitted));
        const QString id = submitted.section(u' ', 2, 2);
        QVERIFY(!id.isEmpty());
        QJsonObject queued;
        QTRY_VERIFY_WITH_TIMEOUT((queued = dump(), queued.value(QStringLiteral("pendingOrders")).toArray().size() == 1), 10000);
        QCOMPARE(queued.value(QStringLiteral("pendingOrders")).toArray().at(0).toObject()
                     .value(QStringLiteral("clientOrderId")).toString(), id);
        QCOMPARE(queued.value(QStringLiteral("status")).toObject().value(QStringLiteral("pendingOrders")).toInt(), 1);
        QCOMPARE(simOrders(id), 0); // not at the exchange while the link is down

        QVERIFY(command(QStringLiteral("accept")).startsWith(QStringLiteral("ok")));
        QTRY_COMPARE_WITH_TIMEOUT(simOrders(id), 1, FaultTimeout);
        QJsonObject back;
        QTRY_VERIFY_WITH_TIMEOUT((back = dump(), state(back) == u"live" && !bannerShown(back)
                                  && back.value(QStringLiteral("pendingOrders")).toArray().isEmpty()),
                                 FaultTimeout);
        QCOMPARE(simOrders(id), 1); // exactly once, also after the reconnect's catch-up
        QCOMPARE(back.value(QStringLiteral("status")).toObject().value(QStringLiteral("pendingOrders")).toInt(), 0);
    }

    void terminationSignalWritesTheDump()
    {
        m_app.terminate(); // SIGTERM
        QVERIFY(m_app.waitForFinished(30000));
        QCOMPARE(m_app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_app.exitCode(), 0);
        QFile file(m_dir.filePath(QStringLiteral("at-exit.json")));
        QVERIFY2(file.open(QIODevice::ReadOnly), "no --dump-state file after SIGTERM");
        const QJsonObject atExit = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(rows(atExit, QStringLiteral("positions")) > 0, true);
        QVERIFY(atExit.contains(QStringLiteral("status")));
    }

    void cleanupTestCase()
    {
        if (m_app.state() != QProcess::NotRunning) {
            m_app.kill();
            m_app.waitForFinished(10000);
        }
    }
};

QTEST_GUILESS_MAIN(TestAppDemo)
#include "tst_appdemo.moc"

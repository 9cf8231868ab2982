#include "windowcapture.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QQmlEngineExtensionPlugin>
#include <QQuickWindow>

Q_IMPORT_QML_PLUGIN(TradingFloorPlugin)

int main(int argc, char *argv[])
{
    // QApplication, not QGuiApplication: Qt Charts' QML types need the widgets application.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("trading-floor"));
    QApplication::setApplicationDisplayName(QStringLiteral("Trading Floor"));
    QApplication::setOrganizationName(QStringLiteral("TradingFloor"));
    QApplication::setApplicationVersion(QStringLiteral(TF_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Realtime trading desktop client for Supabase"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Grab the window to a PNG file (with --quit-after), then exit."),
        QStringLiteral("file"));
    const QCommandLineOption quitAfterOption(QStringLiteral("quit-after"),
        QStringLiteral("Exit after this many seconds (grabbing --screenshot first)."),
        QStringLiteral("seconds"));
    parser.addOptions({screenshotOption, quitAfterOption});
    parser.process(app);

    bool quitAfterValid = true;
    const double quitAfterSeconds = parser.isSet(quitAfterOption)
        ? parser.value(quitAfterOption).toDouble(&quitAfterValid) : -1;
    if (!quitAfterValid || (parser.isSet(quitAfterOption) && quitAfterSeconds < 0)) {
        qCritical("--quit-after needs a number of seconds >= 0");
        return 2;
    }
    if (parser.isSet(screenshotOption) && !parser.isSet(quitAfterOption)) {
        qCritical("--screenshot needs --quit-after SECONDS");
        return 2;
    }

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the qt_add_qml_module resource prefix by default (6.5+ does).
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/TradingFloor/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (quitAfterSeconds >= 0 && window) {
        auto *capture = new WindowCapture(window, parser.value(screenshotOption), &app);
        capture->captureAfter(int(quitAfterSeconds * 1000));
    }
    return app.exec();
}

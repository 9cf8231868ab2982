#include "launchoptions.h"
#include "rotatinglogfile.h"
#include "windowcapture.h"

#include <QApplication>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQmlEngineExtensionPlugin>
#include <QQuickWindow>
#include <QSettings>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(TradingFloorPlugin)

Q_LOGGING_CATEGORY(lcApp, "tradingfloor.app", QtInfoMsg)

int main(int argc, char *argv[])
{
    // QApplication, not QGuiApplication: Qt Charts' QML types need the widgets application.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("trading-floor"));
    QApplication::setApplicationDisplayName(QStringLiteral("Trading Floor"));
    QApplication::setOrganizationName(QStringLiteral("TradingFloor"));
    QApplication::setApplicationVersion(QStringLiteral(TF_VERSION));

    QSettings settings;
    const tf::LaunchParseResult parsed = tf::parseLaunchOptions(QApplication::arguments(), settings);
    if (!parsed.ok()) {
        std::fprintf(stderr, "trading-floor: %s\nTry --help.\n", qPrintable(parsed.error));
        return 2;
    }
    const tf::LaunchOptions &options = *parsed.options;
    if (options.showHelp) {
        std::fputs(qPrintable(options.helpText), stdout);
        return 0;
    }
    if (options.showVersion) {
        std::printf("%s %s\n", qPrintable(QApplication::applicationName()), qPrintable(QApplication::applicationVersion()));
        return 0;
    }

    tf::RotatingLogFile logFile(tf::RotatingLogFile::defaultPath());
    QString logError;
    tf::installLogHandler(logFile.open(&logError) ? &logFile : nullptr);
    if (!logError.isEmpty())
        qCWarning(lcApp) << "no log file:" << logError;

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the qt_add_qml_module resource prefix by default (6.5+ does).
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/TradingFloor/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (options.quitAfterSeconds && window) {
        auto *capture = new tf::WindowCapture(window, options.screenshotPath, &app);
        capture->captureAfter(int(*options.quitAfterSeconds * 1000));
    }
    const int status = app.exec();
    tf::installLogHandler(nullptr);
    return status;
}

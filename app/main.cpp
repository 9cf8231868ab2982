// trading-floor: the desktop app. Everything lives in libraries (tf_app, tf_appcore); this file
// parses the command line, builds the AppController and hands it to the QML window.
#include "appcontroller.h"
#include "applogging.h"
#include "democonsole.h"
#include "demobackend.h"
#include "launchoptions.h"
#include "rotatinglogfile.h"
#include "statedump.h"
#include "terminationsignals.h"
#include "uiprobe.h"
#include "windowcapture.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQmlEngineExtensionPlugin>
#include <QQuickWindow>
#include <QSettings>

#include <cstdio>
#include <memory>
#include <utility>

Q_IMPORT_QML_PLUGIN(TradingFloorPlugin)

namespace {

QStringList argumentsOf(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

void writeDump(const tf::AppController &controller, const QString &path)
{
    if (path.isEmpty())
        return;
    QString error;
    if (tf::statedump::writeFile(path, controller.stateDump(), &error))
        qCInfo(lcAppCapture) << "state written to" << path;
    else
        qCCritical(lcAppCapture) << "could not write the state to" << path << ":" << error;
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QCoreApplication::setApplicationName(QStringLiteral("trading-floor"));
    QCoreApplication::setOrganizationName(QStringLiteral("TradingFloor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TF_VERSION));

    // Parsed before any application object exists: --help, --version and mistakes need no display.
    tf::LaunchParseResult parsed;
    {
        QSettings settings;
        parsed = tf::parseLaunchOptions(argumentsOf(argc, argv), settings);
    }
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
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
                    qPrintable(QCoreApplication::applicationVersion()));
        return 0;
    }

    // QApplication, not QGuiApplication: Qt Charts' QML types need the widgets application.
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Trading Floor"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.tradingfloor.TradingFloor"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/trading-floor.png")));

    tf::RotatingLogFile logFile(tf::RotatingLogFile::defaultPath());
    QString logError;
    tf::installLogHandler(logFile.open(&logError) ? &logFile : nullptr);
    if (!logError.isEmpty())
        qCWarning(lcApp) << "no log file:" << logError;
    qCInfo(lcApp) << "starting" << QCoreApplication::applicationVersion() << "with Qt" << qVersion()
                  << (options.server.demo ? "on the demo" : "on a configured server");

    tf::TerminationSignals terminationSignals;
    QObject::connect(&terminationSignals, &tf::TerminationSignals::terminationRequested, &app, &QCoreApplication::quit);
    terminationSignals.install();

    tf::AppControllerOptions controllerOptions;
    controllerOptions.queuePath = options.queuePath;
    tf::AppController controller(controllerOptions);
    controller.start(options.server);

    std::unique_ptr<tf::DemoConsole> console;
    if (options.demoConsole) {
        if (!controller.demo()->server()) {
            std::fputs("trading-floor: --demo-console: the embedded simulator is not running\n", stderr);
            return 1;
        }
        console = std::make_unique<tf::DemoConsole>(&controller, controller.demo()->server());
        console->attachStandardInput();
    }

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the qt_add_qml_module resource prefix by default (6.5+ does).
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    const QUrl mainQml(QStringLiteral("qrc:/qt/qml/TradingFloor/Main.qml"));
    engine.setInitialProperties({{QStringLiteral("app"), QVariant::fromValue(&controller)}});
    engine.load(mainQml);
    if (engine.rootObjects().isEmpty()) {
        qCCritical(lcApp) << "the window could not be created (see the QML errors above)";
        return 1;
    }

    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    controller.setUiProbe([window] { return tf::describeWindow(window); });
    if (console)
        console->setWindow(window);
    if (window) {
        // When the trader first sees the window: "live floor" is logged against the same clock.
        // frameSwapped comes from the render thread: several may be queued before the first runs.
        auto logged = std::make_shared<bool>(false);
        QObject::connect(window, &QQuickWindow::frameSwapped, window, [logged, &sinceStart] {
            if (std::exchange(*logged, true))
                return;
            qCInfo(lcApp) << "first frame on screen" << sinceStart.elapsed() << "ms after start";
        });
    }
    if (options.quitAfterSeconds && window) {
        auto *capture = new tf::WindowCapture(window, options.screenshotPath, &app);
        capture->captureAfter(int(*options.quitAfterSeconds * 1000));
    }

    const int status = app.exec();
    // After the loop: on --quit-after, a closed window, quit, or a termination signal alike.
    writeDump(controller, options.dumpStatePath);
    controller.setUiProbe({});
    qCInfo(lcApp) << "exiting with status" << status;
    tf::installLogHandler(nullptr);
    return status;
}

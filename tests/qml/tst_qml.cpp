// Runs the QtQuickTest files of this folder against the TradingFloor module. A QApplication is
// needed because Qt Charts' QML types crash under a plain QGuiApplication.
#include "modelfeed.h"

#include <QApplication>
#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(TradingFloorPlugin)

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        // Qt.labs.settings (window geometry, panel layout) needs these; HOME is a per-test sandbox.
        QCoreApplication::setOrganizationName(QStringLiteral("TradingFloorTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_qml"));
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Qt 6.4 does not search the qt_add_qml_module resource prefix by default.
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        qmlRegisterSingletonInstance("TradingFloor.Testing", 1, 0, "Feed", &m_feed);
    }

private:
    tf::test::ModelFeed m_feed;
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "tst_qml", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_qml.moc"

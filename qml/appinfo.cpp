#include "appinfo.h"

#include <QCoreApplication>

AppInfo::AppInfo(QObject *parent)
    : QObject(parent)
{
}

QString AppInfo::name() const
{
    return QStringLiteral("Trading Floor");
}

QString AppInfo::version() const
{
    return QCoreApplication::applicationVersion();
}

QString AppInfo::qtVersion() const
{
    return QString::fromLatin1(qVersion());
}

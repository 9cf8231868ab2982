#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

// Build facts the views show (title bar, About, diagnostics copy).
class AppInfo : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString qtVersion READ qtVersion CONSTANT)

public:
    explicit AppInfo(QObject *parent = nullptr);

    QString name() const;
    QString version() const;
    QString qtVersion() const;
};

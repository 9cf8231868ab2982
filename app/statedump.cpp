#include "statedump.h"

#include "connectionstatus.h"
#include "diagnostics.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace tf::statedump {

QJsonValue toJson(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QJsonValue::Null;
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float: {
        const double number = value.toDouble();
        return std::isfinite(number) ? QJsonValue(number) : QJsonValue(QJsonValue::Null);
    }
    case QMetaType::QDateTime: {
        const QDateTime time = value.toDateTime();
        return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
    }
    case QMetaType::QVariantMap: {
        QJsonObject object;
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toJson(it.value()));
        return object;
    }
    case QMetaType::QVariantList: {
        QJsonArray array;
        for (const QVariant &item : value.toList())
            array.append(toJson(item));
        return array;
    }
    default:
        break;
    }
    if (value.metaType() == QMetaType::fromType<QList<qreal>>()) {
        QJsonArray array;
        for (qreal item : value.value<QList<qreal>>())
            array.append(std::isfinite(item) ? QJsonValue(item) : QJsonValue(QJsonValue::Null));
        return array;
    }
    return QJsonValue::fromVariant(value);
}

QJsonArray modelRows(const QAbstractItemModel &model)
{
    const QHash<int, QByteArray> roles = model.roleNames();
    QList<int> roleIds = roles.keys();
    std::sort(roleIds.begin(), roleIds.end());
    QJsonArray rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        QJsonObject object;
        for (int role : roleIds) {
            if (role < Qt::UserRole)
                continue; // display/decoration/...: duplicates of the named roles
            object.insert(QString::fromUtf8(roles.value(role)), toJson(model.data(index, role)));
        }
        rows.append(object);
    }
    return rows;
}

QJsonObject status(const ConnectionStatus &status)
{
    return {{QStringLiteral("state"), status.state()},
            {QStringLiteral("health"), status.health()},
            {QStringLiteral("reason"), status.reason()},
            {QStringLiteral("reconnectInSeconds"), status.reconnectInSeconds()},
            {QStringLiteral("latencyMs"), status.latencyMs()},
            {QStringLiteral("lastMessageAgeMs"), status.lastMessageAgeMs()},
            {QStringLiteral("messagesPerSecond"), status.messagesPerSecond()},
            {QStringLiteral("pendingOrders"), status.pendingOrders()},
            {QStringLiteral("signedInUser"), status.signedInUser()}};
}

QJsonObject diagnostics(const Diagnostics &diagnostics)
{
    return {{QStringLiteral("server"), diagnostics.server()},
            {QStringLiteral("connectedSince"), toJson(diagnostics.connectedSince())},
            {QStringLiteral("disconnects"), diagnostics.disconnects()},
            {QStringLiteral("messagesReceived"), diagnostics.messagesReceived()},
            {QStringLiteral("bytesReceived"), diagnostics.bytesReceived()},
            {QStringLiteral("messagesPerSecond"), diagnostics.messagesPerSecond()},
            {QStringLiteral("framesDropped"), diagnostics.framesDropped()},
            {QStringLiteral("latencySamples"), diagnostics.history().size()},
            {QStringLiteral("channels"), toJson(diagnostics.channels())},
            {QStringLiteral("lastErrors"), toJson(diagnostics.lastErrors())}};
}

bool writeFile(const QString &path, const QJsonObject &object, QString *error)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace tf::statedump

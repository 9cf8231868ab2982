#include "uiprobe.h"

#include <QJsonArray>
#include <QQuickItem>
#include <QQuickWindow>

namespace tf {

namespace {

// QML-defined types get class names like "LiveUpdatesBanner_QMLTYPE_12".
bool isQmlType(const QObject *object, QLatin1String type)
{
    const QLatin1String name(object->metaObject()->className());
    return name == type || (name.startsWith(type) && name.mid(type.size()).startsWith(QLatin1String("_QML")));
}

QQuickItem *findItem(QQuickItem *root, QLatin1String type)
{
    if (!root)
        return nullptr;
    if (isQmlType(root, type))
        return root;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, type))
            return found;
    }
    return nullptr;
}

// Visible on screen: the item and every ancestor.
bool isShown(const QQuickItem *item)
{
    for (; item; item = item->parentItem()) {
        if (!item->isVisible())
            return false;
    }
    return true;
}

} // namespace

QJsonObject describeWindow(QQuickWindow *window)
{
    if (!window)
        return {{QStringLiteral("present"), false}};
    QJsonObject ui{{QStringLiteral("present"), true},
                   {QStringLiteral("title"), window->title()},
                   {QStringLiteral("width"), window->width()},
                   {QStringLiteral("height"), window->height()},
                   {QStringLiteral("visible"), window->isVisible()}};

    QJsonObject banner{{QStringLiteral("present"), false}};
    if (QQuickItem *item = findItem(window->contentItem(), QLatin1String("LiveUpdatesBanner"))) {
        banner = {{QStringLiteral("present"), true},
                  {QStringLiteral("visible"), isShown(item) && item->height() > 0},
                  {QStringLiteral("text"), item->property("message").toString()}};
    }
    ui.insert(QStringLiteral("banner"), banner);

    QJsonObject toasts{{QStringLiteral("present"), false}};
    if (QQuickItem *host = findItem(window->contentItem(), QLatin1String("ToastHost"))) {
        QJsonArray messages;
        const int count = host->property("count").toInt();
        for (int i = 0; i < count; ++i) {
            QVariant message;
            if (QMetaObject::invokeMethod(host, "messageAt", Q_RETURN_ARG(QVariant, message), Q_ARG(QVariant, i)))
                messages.append(message.toString());
        }
        toasts = {{QStringLiteral("present"), true}, {QStringLiteral("messages"), messages}};
    }
    ui.insert(QStringLiteral("toasts"), toasts);
    return ui;
}

} // namespace tf
